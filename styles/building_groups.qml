<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0">
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,255,255,0"/>
            <Option name="outline_color" type="QString" value="70,110,170,255"/>
            <Option name="outline_style" type="QString" value="dash"/>
            <Option name="outline_width" type="QString" value="0.2"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="no"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fontFamily="Noto Sans CJK SC" fieldName="right(&quot;code&quot;, 2)" isExpression="1" fontSize="6.5" fontSizeUnit="Point" textColor="50,80,140,255" textOpacity="1" multilineHeight="1" fontWeight="50" namedStyle="Regular">
        <families>
          <family name="Noto Sans CJK SC"/>
          <family name="Source Han Sans SC"/>
          <family name="WenQuanYi Micro Hei"/>
          <family name="Microsoft YaHei"/>
          <family name="PingFang SC"/>
          <family name="SimHei"/>
        </families>
        <text-buffer bufferDraw="1" bufferSize="0.6" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.8" bufferNoFill="1" bufferJoinStyle="128"/>
      </text-style>
      <text-format multilineAlign="1" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="0" plussign="0"/>
      <placement placement="1" dist="0" distUnits="MM" offsetType="0" priority="3" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0"/>
      <rendering drawLabels="1" obstacle="0" obstacleType="1" displayAll="0" upsidedownLabels="0" scaleVisibility="1" scaleMin="1" scaleMax="10000" fontLimitPixelSize="0" limitNumLabels="0" maxNumLabels="2000" mergeLines="0" minFeatureSize="0" labelPerPart="0" zIndex="0"/>
    </settings>
  </labeling>
  <aliases>
    <alias index="0" field="code" name="楼栋党小组编码 building group code (17 digits)"/>
    <alias index="1" field="seq" name="组内序号 sequence in the grid"/>
    <alias index="2" field="grid_code" name="网格编码 grid code"/>
    <alias index="3" field="comm_code" name="社区代码 community code"/>
    <alias index="4" field="comm_name" name="社区名称 community name"/>
    <alias index="5" field="st_code" name="街道代码 street code"/>
    <alias index="6" field="st_name" name="街道名称 street name"/>
    <alias index="7" field="households" name="户数 households"/>
    <alias index="8" field="population" name="人口 population"/>
    <alias index="9" field="buildings" name="建筑数 buildings"/>
    <alias index="10" field="area_m2" name="面积（平方米） area (m²)"/>
    <alias index="11" field="in_band" name="规模在规定区间内 within the group band (1 = yes)"/>
    <alias index="12" field="standalone" name="单独成组 own group: one unit above the band, or a dedicated grid (1 = yes)"/>
    <alias index="13" field="bldg_head" name="楼栋长 building head (to fill in)"/>
  </aliases>
</qgis>
