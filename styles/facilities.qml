<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="1">
  <renderer-v2 type="categorizedSymbol" attr="kind" forceraster="0" symbollevels="0" enableorderby="0">
    <categories>
      <category value="service_centre" label="党群服务中心 party service centre" symbol="0" render="true"/>
      <category value="warm_station" label="暖心驿站 warm station" symbol="1" render="true"/>
      <category value="other" label="其他 other" symbol="2" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="200,0,0,255"/>
            <Option name="name" type="QString" value="square"/>
            <Option name="outline_color" type="QString" value="255,255,255,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="3.6"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,127,0,255"/>
            <Option name="name" type="QString" value="triangle"/>
            <Option name="outline_color" type="QString" value="255,255,255,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="3.8"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="120,120,120,255"/>
            <Option name="name" type="QString" value="circle"/>
            <Option name="outline_color" type="QString" value="255,255,255,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="2.4"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fontFamily="Noto Sans CJK SC" fieldName="name" isExpression="0" fontSize="7" fontSizeUnit="Point" textColor="60,0,0,255" textOpacity="1" multilineHeight="1" fontWeight="50" namedStyle="Regular">
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
      <placement placement="0" dist="1" distUnits="MM" offsetType="0" priority="5" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0"/>
      <rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" upsidedownLabels="0" scaleVisibility="0" fontLimitPixelSize="0" limitNumLabels="0" maxNumLabels="2000" mergeLines="0" minFeatureSize="0" labelPerPart="0" zIndex="0"/>
    </settings>
  </labeling>
  <aliases>
    <alias index="0" field="id" name="设施编号 facility id"/>
    <alias index="1" field="name" name="设施名称 facility name"/>
    <alias index="2" field="kind" name="设施类别 facility kind"/>
    <alias index="3" field="type" name="原始类型 source type"/>
    <alias index="4" field="comm_code" name="所在社区代码 community code (where it stands)"/>
    <alias index="5" field="comm_name" name="所在社区名称 community name"/>
    <alias index="6" field="grid_code" name="所在网格编码 grid code (where it stands)"/>
    <alias index="7" field="capacity" name="服务容量 capacity"/>
    <alias index="8" field="snapped" name="已接入步行路网 reached from the walking network (1 = yes)"/>
    <alias index="9" field="snap_m" name="接入路网距离（米） distance to the walking network (m)"/>
  </aliases>
</qgis>
