<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0">
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,255,255,0"/>
            <Option name="outline_color" type="QString" value="31,120,180,255"/>
            <Option name="outline_style" type="QString" value="dash"/>
            <Option name="outline_width" type="QString" value="0.6"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="no"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fontFamily="Noto Sans CJK SC" fieldName="name" isExpression="0" fontSize="9" fontSizeUnit="Point" textColor="31,120,180,255" textOpacity="1" multilineHeight="1" fontWeight="50" namedStyle="Regular">
        <families>
          <family name="Noto Sans CJK SC"/>
          <family name="Source Han Sans SC"/>
          <family name="WenQuanYi Micro Hei"/>
          <family name="Microsoft YaHei"/>
          <family name="PingFang SC"/>
          <family name="SimHei"/>
        </families>
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9" bufferNoFill="1" bufferJoinStyle="128"/>
      </text-style>
      <text-format multilineAlign="1" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="0" plussign="0"/>
      <placement placement="1" dist="1" distUnits="MM" offsetType="0" priority="5" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0"/>
      <rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" upsidedownLabels="0" scaleVisibility="0" fontLimitPixelSize="0" limitNumLabels="0" maxNumLabels="2000" mergeLines="0" minFeatureSize="0" labelPerPart="0" zIndex="0"/>
    </settings>
  </labeling>
  <aliases>
    <alias index="0" field="id" name="源数据编号 source id"/>
    <alias index="1" field="code" name="社区代码 community code (12 digits)"/>
    <alias index="2" field="name" name="社区名称 community name"/>
    <alias index="3" field="st_code" name="街道代码 street code"/>
    <alias index="4" field="st_name" name="街道名称 street name"/>
    <alias index="5" field="area_m2" name="面积（平方米） area (m²)"/>
    <alias index="6" field="derived" name="临时社区（派生） provisional, derived by gridplan (1 = yes)"/>
    <alias index="7" field="n_grids" name="网格数 grids"/>
    <alias index="8" field="buildings" name="建筑数 buildings"/>
    <alias index="9" field="households" name="户数 households"/>
    <alias index="10" field="population" name="人口 population"/>
  </aliases>
</qgis>
